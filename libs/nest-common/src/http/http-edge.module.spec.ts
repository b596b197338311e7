import { Body, Controller, Get, INestApplication, NotFoundException, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsInt, Min } from 'class-validator';
import request from 'supertest';
import { HttpEdgeModule } from './http-edge.module';

class CreateThingDto {
  @IsInt()
  @Min(1)
  count!: number;
}

@Controller('things')
class ThingsController {
  @Get('missing')
  missing(): never {
    throw new NotFoundException('no such thing');
  }

  @Get('broken')
  broken(): never {
    throw new Error('database password is hunter2');
  }

  @Post()
  create(@Body() dto: CreateThingDto): { count: number; isDto: boolean } {
    return { count: dto.count, isDto: dto instanceof CreateThingDto };
  }
}

describe('HttpEdgeModule', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HttpEdgeModule],
      controllers: [ThingsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(() => app.close());

  it('answers HTTP exceptions with their status and a text body', async () => {
    const response = await request(app.getHttpServer()).get('/things/missing');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toBe('no such thing');
  });

  it('answers unexpected errors with a bare 500: no message, no stack', async () => {
    const response = await request(app.getHttpServer()).get('/things/broken');
    expect(response.status).toBe(500);
    expect(response.text).toBe('Internal Server Error');
  });

  it('transforms a valid body into its DTO class', async () => {
    const response = await request(app.getHttpServer()).post('/things').send({ count: 2 });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ count: 2, isDto: true });
  });

  it('rejects invalid and unknown properties with one text line', async () => {
    const response = await request(app.getHttpServer()).post('/things').send({ count: 0, colour: 'red' });
    expect(response.status).toBe(400);
    expect(response.text).toBe('property colour should not exist; count must not be less than 1');
  });

  it('answers malformed JSON with a 400 text body', async () => {
    const response = await request(app.getHttpServer())
      .post('/things')
      .set('Content-Type', 'application/json')
      .send('{"count":');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text.length).toBeGreaterThan(0);
  });
});
